#!/usr/bin/env -S node --experimental-strip-types
// The `opsloop` command. OpsLoop's source is TypeScript run directly by Node.js
// (type stripping, Node >= 22.12 with the flag above; on by default from 22.18).
import '../src/cli/main.ts';
