import { randomUUID } from 'node:crypto';
import type { PubSub, PubSubStatus } from '../../lib/pubsub/pubsub.interface.js';
import { captureLogs } from '../harness/captured-logs.js';
import { eventually } from '../harness/eventually.js';

/** Connected pubsubs of one transport, one per node, all initialised; and how to close them. */
export type PubSubFactory = () => Promise<{ nodes: PubSub[]; dispose: () => Promise<void> }>;

/** What a test message carries: an id to find it by, and a payload to compare. */
interface Message {
  id: string;
  payload?: unknown;
}

interface Received {
  message: Message;
  from: string;
}

/** Every delivery to one handler, and the function that unsubscribes it. */
type Inbox = Received[] & { unsubscribe: () => void };

function inbox(pubsub: PubSub, channel: string): Inbox {
  const received: Received[] = [];
  const unsubscribe = pubsub.subscribe<Message>(channel, (message, from) => received.push({ message, from }));
  return Object.assign(received, { unsubscribe });
}

const ids = (box: Received[]) => box.map((r) => r.message.id);

/**
 * Publishes fresh messages until every inbox holds one, and returns the id of the first message
 * all of them got. A transport may take a while to subscribe and keeps nothing for a subscriber
 * that is not there yet, so a single publish could be lost.
 */
async function deliver(sender: PubSub, channel: string, into: Received[][], payload?: unknown): Promise<string> {
  const sent: string[] = [];
  return eventually(async () => {
    const id = randomUUID();
    sent.push(id);
    await sender.publish<Message>(channel, { id, payload });
    const common = sent.find((candidate) => into.every((box) => ids(box).includes(candidate)));
    if (!common) throw new Error(`not every subscriber of '${channel}' received a message yet`);
    return common;
  });
}

const channelName = () => `test.conformance.${randomUUID()}`;

/**
 * The semantics every PubSub adapter must share. `transport` is what its status reports; with
 * more than one node, every delivery is also checked between nodes. Negative checks ("never
 * arrived") wait for a message sent later by the same node: each adapter keeps one sender's
 * messages in order.
 */
export function describePubSubConformance(adapter: string, transport: PubSubStatus['transport'], factory: PubSubFactory): void {
  describe(`PubSub conformance: ${adapter}`, () => {
    let nodes: PubSub[];
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ nodes, dispose } = await factory()));
    afterAll(() => dispose?.());

    it('reports itself connected, with its transport, once initialised', () => {
      for (const node of nodes) expect(node.status()).toEqual({ transport, connected: true, since: expect.any(Date) as Date });
    });

    it('delivers to every subscriber of the channel on the publishing node, naming that node in from', async () => {
      const [sender] = nodes;
      const channel = channelName();
      const boxes = [inbox(sender, channel), inbox(sender, channel)];
      const id = await deliver(sender, channel, boxes);
      for (const box of boxes) expect(box.find((r) => r.message.id === id)?.from).toBe(sender.nodeName);
    });

    it('delivers to the subscribers on every node, whichever node sends, naming the sender in from', async () => {
      expect(new Set(nodes.map((node) => node.nodeName)).size).toBe(nodes.length);
      const channel = channelName();
      const boxes = nodes.map((node) => inbox(node, channel));
      for (const sender of nodes) {
        const id = await deliver(sender, channel, boxes);
        for (const box of boxes) expect(box.find((r) => r.message.id === id)?.from).toBe(sender.nodeName);
      }
    });

    it('delivers only to subscribers of the channel published on', async () => {
      const [sender] = nodes;
      const [published, other] = [channelName(), channelName()];
      const atPublished = nodes.map((node) => inbox(node, published));
      const atOther = nodes.map((node) => inbox(node, other));
      const id = await deliver(sender, published, atPublished);
      // Sent after `id`: once every node has it, `id` had its chance to arrive there too.
      await deliver(sender, other, atOther);
      for (const box of atOther) expect(ids(box)).not.toContain(id);
    });

    it('hands the payload over as the same JSON value', async () => {
      const payload = {
        text: 'Zürich → 東京 "quoted"',
        n: -12.5,
        zero: 0,
        yes: true,
        no: false,
        none: null,
        list: [1, 'two', { three: [3] }],
        empty: {},
      };
      const channel = channelName();
      const boxes = nodes.map((node) => inbox(node, channel));
      const id = await deliver(nodes[nodes.length - 1], channel, boxes, payload);
      for (const box of boxes) expect(box.find((r) => r.message.id === id)?.message).toEqual({ id, payload });
    });

    it('keeps delivering to the other subscribers when one throws or rejects, and logs each failure', async () => {
      const logs = captureLogs();
      try {
        const channel = channelName();
        const boxes: Received[][] = [];
        for (const node of nodes) {
          boxes.push(inbox(node, channel));
          node.subscribe(channel, () => {
            throw new Error(`sync failure at ${node.nodeName}`);
          });
          // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a handler whose promise rejects is the case under test
          node.subscribe(channel, async () => {
            throw new Error(`async failure at ${node.nodeName}`);
          });
          boxes.push(inbox(node, channel));
        }
        const first = await deliver(nodes[0], channel, boxes);
        const second = await deliver(nodes[0], channel, boxes);
        for (const box of boxes) expect(ids(box)).toEqual(expect.arrayContaining([first, second]));
        const failures = (text: string) => logs.lines.filter((line) => line.level === 'error' && line.message.includes(text));
        await eventually(() => {
          for (const node of nodes) {
            expect(failures(`sync failure at ${node.nodeName}`).length).toBeGreaterThanOrEqual(2);
            expect(failures(`async failure at ${node.nodeName}`).length).toBeGreaterThanOrEqual(2);
          }
        });
      } finally {
        logs.restore();
      }
    });

    it('stops delivering to a handler once unsubscribed, and keeps delivering to the others', async () => {
      const channel = channelName();
      const kept = nodes.map((node) => inbox(node, channel));
      const dropped = nodes.map((node) => inbox(node, channel));
      await deliver(nodes[0], channel, [...kept, ...dropped]);
      for (const box of dropped) box.unsubscribe();
      const counts = dropped.map((box) => box.length);
      const after = await deliver(nodes[0], channel, kept);
      await deliver(nodes[nodes.length - 1], channel, kept);
      expect(dropped.map((box) => box.length)).toEqual(counts);
      for (const box of dropped) expect(ids(box)).not.toContain(after);
      // Unsubscribing again is harmless.
      for (const box of dropped) box.unsubscribe();
      await deliver(nodes[0], channel, kept);
    });

    it('delivers once per subscription when the same function subscribes twice', async () => {
      const channel = channelName();
      const calls: string[] = [];
      const handler = (message: Message) => void calls.push(message.id);
      for (const node of nodes) [1, 2].forEach(() => node.subscribe(channel, handler));
      const probes = nodes.map((node) => inbox(node, channel));
      const id = await deliver(nodes[0], channel, probes);
      expect(calls.filter((call) => call === id)).toHaveLength(2 * nodes.length);
    });

    it('removes exactly one subscription of a function subscribed twice, however often it is unsubscribed', async () => {
      const channel = channelName();
      const calls: string[] = [];
      const handler = (message: Message) => void calls.push(message.id);
      for (const node of nodes) {
        const [first] = [1, 2].map(() => node.subscribe(channel, handler));
        first();
        first();
      }
      const probes = nodes.map((node) => inbox(node, channel));
      const id = await deliver(nodes[0], channel, probes);
      expect(calls.filter((call) => call === id)).toHaveLength(nodes.length);
    });

    it('publishes with no subscriber without failing, and keeps nothing for a later subscriber', async () => {
      const [channel, barrier] = [channelName(), channelName()];
      const probes = nodes.map((node) => inbox(node, barrier));
      for (const node of nodes) {
        await expect(node.publish<Message>(channel, { id: `unheard-${node.nodeName}` })).resolves.toBeUndefined();
        // Sent after the unheard message: once every node has it, that one was handled too.
        await deliver(node, barrier, probes);
      }
      const boxes = nodes.map((node) => inbox(node, channel));
      await deliver(nodes[0], channel, boxes);
      for (const box of boxes) expect(ids(box).filter((id) => id.startsWith('unheard-'))).toEqual([]);
    });
  });
}
