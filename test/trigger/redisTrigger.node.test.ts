/**
 * The Perspective Funnel Redis Trigger's description: the main trigger's parameters (node
 * version 1.1) plus Key Prefix, its own credentials, and names that saved workflows rely on.
 */
import type { INodeProperties } from 'n8n-workflow';

import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import { PerspectiveFunnelRedisApi } from '../../redis/credentials/PerspectiveFunnelRedisApi.credentials';
import { PerspectiveFunnelRedisWebhookApi } from '../../redis/credentials/PerspectiveFunnelRedisWebhookApi.credentials';
import { PerspectiveFunnelRedisTrigger } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node';

const { description } = new PerspectiveFunnelRedisTrigger();
const main = new PerspectiveFunnelTrigger().description;
const property = (properties: INodeProperties[], name: string) => properties.find((item) => item.name === name) as INodeProperties;

describe('the Redis trigger node', () => {
	it('has the type name and webhook that workflows refer to', () => {
		expect(description).toMatchObject({ name: 'perspectiveFunnelRedisTrigger', displayName: 'Perspective Funnel Redis Trigger', version: 1.1, group: ['trigger'], inputs: [] });
		expect(description.webhooks).toEqual(main.webhooks);
	});

	it('has the main trigger parameters, and Key Prefix among the options in alphabetical order', () => {
		for (const name of ['setupNotice', 'events', 'authentication']) {
			expect(property(description.properties, name)).toEqual(property(main.properties, name));
		}
		const options = property(description.properties, 'options').options as INodeProperties[];
		const mainOptions = property(main.properties, 'options').options as INodeProperties[];
		expect(options.filter((option) => option.name !== 'keyPrefix')).toEqual(mainOptions);
		expect(property(options, 'keyPrefix')).toMatchObject({ type: 'string', default: 'perspective-funnel' });
		const names = options.map((option) => option.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('uses only its own credentials: the Redis connection always, the token with Secret Token', () => {
		expect(description.credentials).toEqual([
			{ name: 'perspectiveFunnelRedisApi', required: true, testedBy: 'redisConnection' },
			{ name: 'perspectiveFunnelRedisWebhookApi', required: true, testedBy: 'secretTokenStrength', displayOptions: { show: { authentication: ['secretToken'] } } },
		]);
		expect(new PerspectiveFunnelRedisApi().name).toBe('perspectiveFunnelRedisApi');
		expect(new PerspectiveFunnelRedisApi().properties.map((field) => [field.name, field.default])).toEqual([
			['host', 'localhost'],
			['port', 6379],
			['username', ''],
			['password', ''],
			['database', 0],
			['tls', false],
		]);
		expect(new PerspectiveFunnelRedisWebhookApi().name).toBe('perspectiveFunnelRedisWebhookApi');
		expect(new PerspectiveFunnelRedisWebhookApi().properties.map((field) => field.name)).toEqual(['secretToken']);
	});
});
