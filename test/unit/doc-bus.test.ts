import { describe, expect, it } from 'vitest';
import { type BusMessage, decodeBusMessage, encodeBusMessage, MAX_BUS_FRAME_BYTES } from '../../server/realtime/doc-bus.ts';

describe('bus frames between nodes', () => {
  const messages: BusMessage[] = [
    { kind: 'update', node: 'node-1', ids: [9_007_199_254], update: new Uint8Array([1, 2, 3, 0, 255]) },
    { kind: 'update', node: 'node-1', ids: [3, 5, 8], update: new Uint8Array([0]) },
    { kind: 'awareness', node: 'n2', payload: new Uint8Array([7]) },
    { kind: 'awareness-query', node: '节点' },
    { kind: 'recheck', node: 'n' },
    { kind: 'revoked', node: 'n', sessionIds: ['a', 'b'.repeat(40)] },
    { kind: 'revoked', node: 'n', sessionIds: [] },
  ];

  it('decode what they encode, for every kind', () => {
    for (const m of messages) expect(decodeBusMessage(encodeBusMessage(m))).toEqual(m);
  });

  it('answer null for malformed frames instead of throwing', () => {
    const good = encodeBusMessage(messages[0]!);
    expect(decodeBusMessage(new Uint8Array())).toBeNull();
    expect(decodeBusMessage(good.subarray(0, good.length - 2))).toBeNull();
    expect(decodeBusMessage(new Uint8Array([...good, 0]))).toBeNull();
    expect(decodeBusMessage(new Uint8Array([42, 1, 65]))).toBeNull();
    // An update frame naming no log id.
    expect(decodeBusMessage(new Uint8Array([0, 1, 65, 0, 1, 0]))).toBeNull();
    expect(decodeBusMessage(new Uint8Array(MAX_BUS_FRAME_BYTES + 1))).toBeNull();
  });
});
