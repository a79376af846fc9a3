import { aggregateDefinitionOf } from '../../lib/aggregates/aggregate-definition.js';
import { aggregateOfStream } from '../../lib/aggregates/stream-aggregate.js';
import { Aggregate } from '../../lib/index.js';
import { invalidOptionsMessage } from '../fixtures/option-problems.js';

@Aggregate({ identity: 'id', prefix: 'order-' })
class Order {}

@Aggregate({ identity: 'id', prefix: 'order-line-' })
class OrderLine {}

@Aggregate({ identity: 'id', prefix: 'order-line-' })
class LegacyOrderLine {}

const definitions = [Order, OrderLine].map(aggregateDefinitionOf);
const problem = invalidOptionsMessage;

describe('the aggregate a stream belongs to', () => {
  it('is the one with the longest prefix the stream id starts with', () => {
    expect(aggregateOfStream(definitions, 'order-7').type).toBe(Order);
    expect(aggregateOfStream(definitions, 'order-line-7').type).toBe(OrderLine);
  });

  it('is the one named, when its prefix fits', () => {
    const both = [...definitions, aggregateDefinitionOf(LegacyOrderLine)];
    expect(aggregateOfStream(both, 'order-line-7', 'LegacyOrderLine').type).toBe(LegacyOrderLine);
    expect(problem(() => aggregateOfStream(both, 'order-line-7'))).toContain("could belong to 'OrderLine', 'LegacyOrderLine'");
    expect(problem(() => aggregateOfStream(both, 'order-7', 'OrderLine'))).toContain("its ids start with 'order-line-'");
    expect(problem(() => aggregateOfStream(both, 'order-7', 'Invoice'))).toContain('\'aggregate\' "Invoice" is not a registered aggregate');
  });

  it('is none for a stream no prefix fits', () => {
    expect(problem(() => aggregateOfStream(definitions, 'invoice-7'))).toContain("belongs to no registered aggregate: none of 'Order', 'OrderLine'");
    expect(problem(() => aggregateOfStream([], 'invoice-7'))).toContain('there are none');
  });
});
