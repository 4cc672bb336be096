import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// test-dist/ sits next to test/, both under extension/.
export const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPOSITORY = join(EXTENSION, "..");
