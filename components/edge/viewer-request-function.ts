// The code of HttpsStaticSite's own CloudFront Function (viewer request): a canonical host and a
// directory index, each opt-in. Pure: the text depends only on the settings, so the same config
// always gives the same function (and no update on every `up`).
//
// The code is ES 5.1 (var, function, no arrow or template), which both CloudFront Functions
// runtimes (cloudfront-js-1.0 and -2.0) accept; test/components/edge checks that by parsing it
// as ES 5 and runs it against the documented event shape
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html).

/** The runtime the function is created with. */
export const cloudFrontFunctionRuntime = "cloudfront-js-2.0";

/** What the site's viewer-request function does; at least one of them. */
export interface ViewerRequestSettings {
  /** Every other host is answered with a 301 to `https://<canonicalHost><path>?<query>`. */
  readonly canonicalHost?: string;
  /**
   * The object served for a directory: `/docs/` is fetched as `/docs/<indexDocument>`, and
   * `/docs` (no extension in its last segment) is redirected to `/docs/`, as S3 website hosting
   * does, so that relative links inside the page resolve under the directory.
   */
  readonly indexDocument?: string;
}

/** True when the settings need a function at all. */
export function needsViewerRequestFunction(s: ViewerRequestSettings): boolean {
  return s.canonicalHost !== undefined || s.indexDocument !== undefined;
}

/** The function's JavaScript source, for `aws.cloudfront.Function`'s `code`. */
export function viewerRequestFunctionCode(s: ViewerRequestSettings): string {
  const lines = [
    "// taskstack HttpsStaticSite: viewer request (generated; edit the site's settings instead).",
    "function queryOf(querystring) {",
    "  // Keys and values as the viewer sent them (still encoded), as AWS's own examples rebuild it.",
    "  var parts = [];",
    "  for (var key in querystring) {",
    "    var entry = querystring[key];",
    "    var values = entry.multiValue ? entry.multiValue : [entry];",
    "    for (var i = 0; i < values.length; i++) {",
    '      parts.push(values[i].value === "" ? key : key + "=" + values[i].value);',
    "    }",
    "  }",
    '  return parts.length > 0 ? "?" + parts.join("&") : "";',
    "}",
    "function redirect(location) {",
    "  return {",
    "    statusCode: 301,",
    '    statusDescription: "Moved Permanently",',
    "    headers: { location: { value: location } },",
    "  };",
    "}",
    "function handler(event) {",
    "  var request = event.request;",
  ];
  if (s.canonicalHost !== undefined) {
    lines.push(
      '  var host = request.headers.host ? request.headers.host.value.toLowerCase() : "";',
      `  if (host !== ${JSON.stringify(s.canonicalHost)}) {`,
      `    return redirect(${JSON.stringify(`https://${s.canonicalHost}`)} + request.uri + queryOf(request.querystring));`,
      "  }",
    );
  }
  if (s.indexDocument !== undefined) {
    lines.push(
      "  var uri = request.uri;",
      '  if (uri.charAt(uri.length - 1) === "/") {',
      `    request.uri = uri + ${JSON.stringify(s.indexDocument)};`,
      '  } else if (uri.slice(uri.lastIndexOf("/") + 1).indexOf(".") === -1) {',
      '    return redirect(uri + "/" + queryOf(request.querystring));',
      "  }",
    );
  }
  lines.push("  return request;", "}", "");
  return lines.join("\n");
}
