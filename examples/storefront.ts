import { edge } from "taskstack";

/** The shop's storefront: www and the apex over HTTPS, DNS in Google Cloud DNS. */
export function storefront() {
  const site = new edge.HttpsStaticSite("storefront", {
    domainName: "acme-shop.example",
    aliases: ["www.acme-shop.example", "acme-shop.example"],
    dnsValidation: "cloud-dns",
    cloudDnsManagedZone: "acme-shop-example",
    cloudDnsProject: "acme-shop-prod",
    // Cloud DNS cannot hold a CNAME at the apex: point it at CloudFront at the registrar.
    externalAliasRecords: ["acme-shop.example"],
    spaFallback: true,
    protect: true,
  });
  return {
    bucket: site.bucketName,
    cdn: site.distributionDomainName,
    enterAtRegistrar: site.aliasRecords,
  };
}
