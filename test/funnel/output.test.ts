import { formatEmission } from '../../nodes/PerspectiveFunnel/funnel/output';
import type { Emission } from '../../nodes/PerspectiveFunnel/funnel/types';
import { minutes } from '../fixtures/perspective';

const emission: Emission = {
	event: 'new_lead',
	contact: {
		id: 'c_1',
		funnelName: 'Solar check',
		createdAt: minutes(0),
		lastSeenAt: minutes(3),
		convertedAt: minutes(3),
		completedAt: null,
		globalId: 'g_1',
		fields: [
			{ path: 'firstName', value: 'Ada', title: 'First name' },
			{ path: 'address.city', value: 'Berlin', title: 'City' },
			{ path: 'address.postalCode', value: '10115', title: 'Postal code' },
			{ path: 'roofType', value: 'Flat;Gable', title: 'Which roof?' },
		],
	},
};

/** The meta both formats carry: ISO 8601 with milliseconds, or null. */
const expectedMeta = {
	createdAt: '2026-11-27T10:00:00.000Z',
	lastSeenAt: '2026-11-27T10:03:00.000Z',
	completedAt: null,
	convertedAt: '2026-11-27T10:03:00.000Z',
	globalId: 'g_1',
	completed: false,
	converted: true,
};

describe('output formats', () => {
	it('webhook: Perspective\'s body plus the event, timestamps in ISO 8601 with milliseconds or null', () => {
		expect(formatEmission(emission, 'webhook')).toEqual({
			event: 'new_lead',
			id: 'c_1',
			funnelName: 'Solar check',
			meta: expectedMeta,
			profile: {
				firstName: { value: 'Ada', title: 'First name' },
				address: { city: { value: 'Berlin', title: 'City' }, postalCode: { value: '10115', title: 'Postal code' } },
				roofType: { value: 'Flat;Gable', title: 'Which roof?' },
			},
		});
	});

	it('simplified: flat meta and fields holding only the values', () => {
		expect(formatEmission({ ...emission, event: 'funnel_completed' }, 'simplified')).toEqual({
			event: 'funnel_completed',
			id: 'c_1',
			funnelName: 'Solar check',
			...expectedMeta,
			fields: { firstName: 'Ada', address: { city: 'Berlin', postalCode: '10115' }, roofType: 'Flat;Gable' },
		});
	});

	it('gives every field its own place, however many share a parent', () => {
		const many = { ...emission, contact: { ...emission.contact, fields: ['a.b.c', 'a.b.d', 'a.e'].map((path) => ({ path, value: path, title: path })) } };
		expect(formatEmission(many, 'simplified').fields).toEqual({ a: { b: { c: 'a.b.c', d: 'a.b.d' }, e: 'a.e' } });
	});
});

describe('fields stored by an older version, which requests can no longer bring', () => {
	const withFields = (paths: string[], extra: Partial<Emission['contact']> = {}): Emission => ({
		...emission,
		contact: { ...emission.contact, ...extra, fields: paths.map((path) => ({ path, value: path, title: path })) },
	});

	it('leaves out a field under a name JavaScript objects reserve, or under "prototype", at any level', () => {
		const item = formatEmission(withFields(['constructor.x', 'a.toString', 'prototype.y', 'b.prototype', 'ok.z']), 'simplified');
		expect(item.fields).toEqual({ a: {}, b: {}, ok: { z: 'ok.z' } });
		expect(Object.keys(item.fields as object)).toEqual(['a', 'b', 'ok']);
	});

	it('keeps a field that has sub-fields as its sub-fields, whichever came first', () => {
		expect(formatEmission(withFields(['address.city', 'address']), 'simplified').fields).toEqual({ address: { city: 'address.city' } });
		expect(formatEmission(withFields(['address', 'address.city']), 'simplified').fields).toEqual({ address: 'address' });
	});
});

describe('the flags of the meta', () => {
	it.each([
		['neither converted nor completed', { convertedAt: null, completedAt: null }, { converted: false, completed: false }],
		['completed without converting', { convertedAt: null, completedAt: minutes(4) }, { converted: false, completed: true }],
	])('say %s', (_name, times, flags) => {
		const item = formatEmission({ ...emission, contact: { ...emission.contact, ...times } }, 'webhook');
		expect(item.meta).toMatchObject(flags);
	});
});

describe('times at the edge of what a Date can hold', () => {
	it('shows the first and last moment a Date holds, and null past them, without throwing', () => {
		const times = { createdAt: -8.64e15, lastSeenAt: 8.64e15, convertedAt: 8.64e15 + 1, completedAt: Number.NaN };
		const item = formatEmission({ ...emission, contact: { ...emission.contact, ...times } }, 'simplified');
		expect(item).toMatchObject({ createdAt: '-271821-04-20T00:00:00.000Z', lastSeenAt: '+275760-09-13T00:00:00.000Z', convertedAt: null, completedAt: null });
	});
});
