// What other packages (the MCP server) use of the command line's parts: the API call and the credentials.
export { callApi, refusal, type ApiAnswer, type ApiCall } from './api-client';
export { resolveCredentials, type Credentials, type CredentialFlags } from './credentials';
export { parseButton } from './commands/send';
export { CliError } from './exit-codes';
