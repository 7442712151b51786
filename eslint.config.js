// ESLint flat config. CommonJS because package.json says "type": "commonjs".
const js = require("@eslint/js");
const pulumi = require("@pulumi/eslint-plugin");
const vitest = require("@vitest/eslint-plugin");
const { defineConfig, globalIgnores } = require("eslint/config");
const tseslint = require("typescript-eslint");

// The few Node globals our plain-JS files use (bin/, scripts/, this file); TypeScript files get
// theirs checked by tsc instead, so typescript-eslint turns no-undef off there.
const nodeGlobals = {
  require: "readonly",
  module: "writable",
  exports: "writable",
  __dirname: "readonly",
  __filename: "readonly",
  process: "readonly",
  console: "readonly",
  Buffer: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
  setImmediate: "readonly",
};

module.exports = defineConfig([
  globalIgnores(["dist/", "out/", "node_modules/", "scratch/", ".consumer/", "coverage/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
    // require() is the module system of a "type": "commonjs" package's .js files.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: nodeGlobals },
  },
  {
    // The Pulumi rules need types (is this expression an Output?); the project service reuses
    // tsconfig.json, which covers every TypeScript file we lint.
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      // Match tsc's noUnusedLocals/Parameters: `_`-prefixed names and `{ omitted: _, ...rest }` are intended.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    ...vitest.configs.recommended,
    // With types, valid-title accepts any string-typed title (`describe(policyName, …)`).
    settings: { vitest: { typecheck: true } },
    rules: {
      ...vitest.configs.recommended.rules,
      "vitest/valid-expect": "error",
      // Plan assertions throw on mismatch, so they count as assertions too.
      "vitest/expect-expect": [
        "error",
        {
          assertFunctionNames: [
            "expect",
            "expect*",
            "hasResource",
            "*.hasResource",
            "*.resourceCountIs",
            "assertExercised",
          ],
        },
      ],
    },
  },
]);
