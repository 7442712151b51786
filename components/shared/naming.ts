/** A child's logical name: the component's name plus the child's role. */
export function childName(component: string, ...role: string[]): string {
  return [component, ...role].join("-");
}

/** A stable logical-name suffix from a member such as `serviceAccount:api@p.iam.gserviceaccount.com`. */
export function memberSlug(member: string): string {
  return member
    .toLowerCase()
    .replace(/\.iam\.gserviceaccount\.com$/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
