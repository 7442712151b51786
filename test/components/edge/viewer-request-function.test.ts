import * as vm from "node:vm";
import * as acorn from "acorn";
import { describe, expect, it } from "vitest";
import { edge } from "../../../components";
import type { ViewerRequestSettings } from "../../../components/edge";

// The site's CloudFront Function, run as CloudFront runs it: its source alone in a fresh context
// (no require, no Node globals), `handler(event)` called with an event of the documented shape
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html:
// lowercase header names, `{ value }` entries, `multiValue` for repeated query keys), and its
// answer read back: a request (passed on, maybe rewritten) or a response (sent to the viewer).

interface QueryEntry {
  readonly value: string;
  readonly multiValue?: readonly { value: string }[];
}

function viewerRequest(
  host: string,
  uri: string,
  querystring: Record<string, QueryEntry> = {},
): Record<string, unknown> {
  return {
    version: "1.0",
    context: { eventType: "viewer-request", distributionId: "EDFDVBD6EXAMPLE", requestId: "r-1" },
    viewer: { ip: "198.51.100.7" },
    request: {
      method: "GET",
      uri,
      querystring,
      headers: { host: { value: host }, accept: { value: "text/html" } },
      cookies: {},
    },
  };
}

function run(settings: ViewerRequestSettings, event: Record<string, unknown>): unknown {
  const code = edge.viewerRequestFunctionCode(settings);
  const sandbox: Record<string, unknown> = { event };
  vm.runInNewContext(`${code}\nresult = handler(event);`, sandbox, { timeout: 1000 });
  // Objects made inside the context have its prototypes; compare them as plain JSON.
  return JSON.parse(JSON.stringify(sandbox["result"])) as unknown;
}

const redirect = (location: string) => ({
  statusCode: 301,
  statusDescription: "Moved Permanently",
  headers: { location: { value: location } },
});

const both: ViewerRequestSettings = {
  canonicalHost: "acme-shop.example",
  indexDocument: "index.html",
};

interface Case {
  readonly title: string;
  readonly host: string;
  readonly uri: string;
  readonly query: Record<string, QueryEntry>;
  readonly answer: Record<string, unknown>;
}

describe("the site's viewer-request CloudFront Function", () => {
  it.each<Case>([
    {
      title: "www is redirected to the apex, path and query kept",
      host: "www.acme-shop.example",
      uri: "/docs/setup.html",
      query: {
        utm_source: { value: "mail" },
        tag: { value: "a", multiValue: [{ value: "a" }, { value: "b" }] },
      },
      answer: redirect("https://acme-shop.example/docs/setup.html?utm_source=mail&tag=a&tag=b"),
    },
    {
      title: "a host header in capitals is the same host",
      host: "ACME-SHOP.example",
      uri: "/a.css",
      query: {},
      answer: { uri: "/a.css" },
    },
    {
      title: "a directory is served from its index",
      host: "acme-shop.example",
      uri: "/docs/",
      query: {},
      answer: { uri: "/docs/index.html" },
    },
    {
      title: "the root is served from its index",
      host: "acme-shop.example",
      uri: "/",
      query: {},
      answer: { uri: "/index.html" },
    },
    {
      title: "a directory without its slash is redirected to it, so relative links resolve",
      host: "acme-shop.example",
      uri: "/docs",
      query: { page: { value: "2" }, flag: { value: "" } },
      answer: redirect("/docs/?page=2&flag"),
    },
    {
      title: "a file is passed on untouched",
      host: "acme-shop.example",
      uri: "/assets/app.3f9c2.js",
      query: {},
      answer: { uri: "/assets/app.3f9c2.js" },
    },
    {
      title: "a dot in a directory name does not make it a file",
      host: "acme-shop.example",
      uri: "/v1.2/guide",
      query: {},
      answer: redirect("/v1.2/guide/"),
    },
  ])("$title", ({ host, uri, query, answer }) => {
    const event = viewerRequest(host, uri, query);
    const sent = JSON.parse(JSON.stringify(event["request"])) as Record<string, unknown>;
    // A rewrite passes on everything else of the request as the viewer sent it.
    const expected = "statusCode" in answer ? answer : { ...sent, ...answer };
    expect(run(both, event)).toEqual(expected);
  });

  it("with only a canonical host, leaves directories alone", () => {
    const settings = { canonicalHost: "www.acme-shop.example" };
    expect(run(settings, viewerRequest("acme-shop.example", "/"))).toEqual(
      redirect("https://www.acme-shop.example/"),
    );
    expect(run(settings, viewerRequest("www.acme-shop.example", "/docs"))).toMatchObject({
      uri: "/docs",
    });
  });

  it("with only a directory index, serves every host", () => {
    const settings = { indexDocument: "home.html" };
    expect(run(settings, viewerRequest("www.acme-shop.example", "/docs/"))).toMatchObject({
      uri: "/docs/home.html",
    });
  });

  it.each([[both], [{ canonicalHost: "a.example" }], [{ indexDocument: "index.html" }]])(
    "is ES 5.1, which both CloudFront Functions runtimes accept (%j)",
    (settings) => {
      const code = edge.viewerRequestFunctionCode(settings);
      expect(() => acorn.parse(code, { ecmaVersion: 5 })).not.toThrow();
      // CloudFront's limit on a function's code size.
      expect(Buffer.byteLength(code)).toBeLessThan(10_240);
    },
  );
});
