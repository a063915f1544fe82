import type { INode } from 'n8n-workflow';

/** One node of one workflow, as a key for what this process keeps about it. */
export function nodeScope(context: { getWorkflow(): { id?: string }; getNode(): Pick<INode, 'id' | 'name'> }): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
}
