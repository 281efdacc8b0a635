#!/usr/bin/env node
// The `interdict` command. Runs the TypeScript sources through tsx, so the bin
// works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
