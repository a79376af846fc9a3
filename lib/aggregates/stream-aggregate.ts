import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { shown } from '../event-store/store-strings.js';
import { listed } from '../util/listed.js';
import type { AggregateDefinition } from './aggregate-definition.js';

/**
 * The registered aggregate a stream belongs to: the one named by `type`, else the one whose
 * prefix is the longest the stream id starts with. Refuses, with `InvalidOptionsError`, a stream
 * no aggregate's prefix fits, and one that two aggregates with the same prefix could own.
 */
export function aggregateOfStream(definitions: AggregateDefinition[], streamId: string, type?: string): AggregateDefinition {
  const types = listed(definitions.map((d) => d.metadata.type));
  if (type !== undefined) {
    const named = definitions.find((d) => d.metadata.type === type);
    if (!named) throw new InvalidOptionsError([`'aggregate' ${shown(type)} is not a registered aggregate; registered: ${types || 'none'}`]);
    if (!streamId.startsWith(named.metadata.prefix)) {
      throw new InvalidOptionsError([`stream ${shown(streamId)} is not one of ${type}'s: its ids start with '${named.metadata.prefix}'`]);
    }
    return named;
  }
  const fitting = definitions.filter((d) => streamId.startsWith(d.metadata.prefix));
  const longest = Math.max(...fitting.map((d) => d.metadata.prefix.length));
  const best = fitting.filter((d) => d.metadata.prefix.length === longest);
  if (best.length === 1) return best[0];
  throw new InvalidOptionsError([
    best.length
      ? `stream ${shown(streamId)} could belong to ${listed(best.map((d) => d.metadata.type))}, which share the prefix '${best[0].metadata.prefix}': name the aggregate`
      : `stream ${shown(streamId)} belongs to no registered aggregate: none of ${types || 'them (there are none)'} has a prefix it starts with`,
  ]);
}
