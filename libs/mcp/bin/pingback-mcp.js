#!/usr/bin/env node
// The command `pingback-mcp`: a file in git, so the workspace links it at install time, before the build makes dist/.
require('../dist/main.js');
