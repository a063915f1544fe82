import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as contact from './actions/contact';
import * as metric from './actions/metric';
import { router } from './actions/router';
import * as workspace from './actions/workspace';
import { funnelProperty } from './actions/funnelParameter';
import { searchContacts, searchFunnels } from './methods/listSearch';

export class PerspectiveFunnel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Perspective Funnel',
		name: 'perspectiveFunnel',
		icon: { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' },
		group: ['transform'],
		// 1.1: Contact is a resource locator (list or ID), sorting has its own collection, the
		// metrics' time zone is picked from a list and Update Field's field too. Version 1 keeps
		// its parameters as they were for the workflows saved with it.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: "Read and write contacts and read metrics of Perspective funnels through Perspective's REST API",
		defaults: {
			name: 'Perspective Funnel',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'perspectiveApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Metric', value: 'metric' },
					{ name: 'Workspace', value: 'workspace' },
				],
				default: 'contact',
			},
			contact.operation,
			metric.operation,
			workspace.operation,
			{ ...funnelProperty, displayOptions: { show: { resource: ['contact', 'metric'] } } },
			...contact.properties,
			...metric.properties,
			...workspace.properties,
		],
	};

	methods = {
		listSearch: { searchContacts, searchFunnels },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
