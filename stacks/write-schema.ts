// `npm run schema`: writes the stack files' JSON Schema from the zod stack schema.
import * as fs from "node:fs";
import * as path from "node:path";
import { stackFileJsonSchemaText, stackSchemaFile } from "./json-schema";

const target = path.resolve(__dirname, "..", stackSchemaFile);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, stackFileJsonSchemaText());
console.log(`Wrote ${stackSchemaFile}`);
