// Advice for a resource a taskstack component declared can name the component's stack-file
// setting; a hand-written resource gets advice about the resource itself only.

/**
 * True when the resource's parent is a taskstack component: its URN's type (the last of the
 * `$`-joined chain) is in the `taskstack:` package.
 */
export function isTaskstackChild(parentUrn: string | undefined): boolean {
  if (parentUrn === undefined) return false;
  const qualified = parentUrn.split("::")[2] ?? "";
  return (qualified.split("$").pop() ?? "").startsWith("taskstack:");
}
