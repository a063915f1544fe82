// n8n's own lint for community nodes: the config `n8n-node lint` runs, which includes the
// recommended rules of @n8n/eslint-plugin-community-nodes that n8n's verification applies.
import { config } from '@n8n/node-cli/eslint';

export default config;
