import { Secret, Unknown } from "../testing/plan";

// Values in the plan as short `key: value` lines, nested as an indented tree, never cut: a value
// wider than the line is folded onto lines of its own under its key.

/** A value as one line of text: secrets `[secret]`, unknowns `[unknown]`. */
export function scalarText(value: unknown): string | undefined {
  if (value instanceof Secret) return "[secret]";
  if (value instanceof Unknown) return "[unknown]";
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  return undefined;
}

/** Splits text into pieces of at most `width` characters, at a space when there is one late enough. */
export function fold(text: string, width: number): string[] {
  const w = Math.max(20, width);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let rest = paragraph;
    while (rest.length > w) {
      const space = rest.lastIndexOf(" ", w);
      const cut = space > w / 2 ? space : w;
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).replace(/^ /, "");
    }
    lines.push(rest);
  }
  return lines;
}

/**
 * `key: value` lines for one value within `width` columns, starting at `indent` spaces: scalars on
 * the key's line when they fit, else folded below it; lists of scalars joined when they fit;
 * mappings and lists of mappings as nested lines.
 */
export function fieldLines(key: string, value: unknown, width: number, indent = 0): string[] {
  const pad = " ".repeat(indent);
  const scalar = scalarText(value);
  if (scalar !== undefined) {
    const line = `${pad}${key}: ${scalar}`;
    if (line.length <= width && !scalar.includes("\n")) return [line];
    return [`${pad}${key}:`, ...fold(scalar, width - indent - 2).map((l) => `${pad}  ${l}`)];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}${key}: []`];
    const texts = value.map(scalarText);
    if (texts.every((t): t is string => t !== undefined)) {
      const line = `${pad}${key}: ${texts.join(", ")}`;
      if (line.length <= width && !texts.some((t) => t.includes("\n"))) return [line];
      return [
        `${pad}${key}:`,
        ...texts.flatMap((t) =>
          fold(t, width - indent - 4).map((l, i) => `${pad}  ${i === 0 ? "- " : "  "}${l}`),
        ),
      ];
    }
    return [`${pad}${key}:`, ...value.flatMap((item) => itemLines(item, width, indent + 2))];
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${pad}${key}: {}`];
    return [`${pad}${key}:`, ...entries.flatMap(([k, v]) => fieldLines(k, v, width, indent + 2))];
  }
  return [`${pad}${key}: ${String(value)}`];
}

/** One list item: `- value`, or a mapping whose first line carries the dash. */
function itemLines(item: unknown, width: number, indent: number): string[] {
  const pad = " ".repeat(indent);
  const scalar = scalarText(item);
  if (scalar !== undefined) {
    return fold(scalar, width - indent - 2).map((l, i) => `${pad}${i === 0 ? "- " : "  "}${l}`);
  }
  if (Array.isArray(item)) {
    return [`${pad}-`, ...item.flatMap((x) => itemLines(x, width, indent + 2))];
  }
  const entries = Object.entries(item as Record<string, unknown>);
  if (entries.length === 0) return [`${pad}- {}`];
  const lines = entries.flatMap(([k, v]) => fieldLines(k, v, width, indent + 2));
  return [`${pad}- ${(lines[0] ?? "").slice(indent + 2)}`, ...lines.slice(1)];
}
