import 'reflect-metadata';
import { DomainEvent } from '../../lib/decorators/domain-event.decorator.js';
import { EventHandler } from '../../lib/decorators/event-handler.decorator.js';
import { On } from '../../lib/decorators/on.decorator.js';
import { ProcessManager } from '../../lib/decorators/process-manager.decorator.js';
import { ContinuedBy, StartedBy } from '../../lib/decorators/process-step.decorator.js';
import { Projector } from '../../lib/decorators/projector.decorator.js';
import { ConfigurationError } from '../../lib/errors/configuration.error.js';
import type { EventContext } from '../../lib/subscriptions/event-context.js';
import { isSubscriber, subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { ItemAdded, NoteWritten } from './fixtures/subscription-fixtures.js';

class Undecorated {}

@Projector({ name: 'items-projector', consistency: 'strong', startFrom: 'current', errorPolicy: 'skip' })
class ItemsProjector {
  readonly seen: string[] = [];

  @On(ItemAdded)
  added(event: ItemAdded, context: EventContext): void {
    this.seen.push(`${event.item}@${context.globalPosition}`);
  }
}

@ProcessManager({ name: 'notes-process' })
class NotesProcess {
  @StartedBy(NoteWritten, (event) => event.text)
  started(): void {}

  @ContinuedBy(ItemAdded, (event) => event.listId)
  continued(): void {}
}

describe('subscriptionDefinitionOf', () => {
  it('binds the @On methods of a projector instance under their stored type names', async () => {
    const projector = new ItemsProjector();
    const definition = subscriptionDefinitionOf(projector);
    expect(definition.metadata).toEqual({
      name: 'items-projector',
      kind: 'projector',
      consistency: 'strong',
      startFrom: 'current',
      errorPolicy: 'skip',
    });
    expect([...definition.handlers.keys()]).toEqual(['SubTestItemAdded']);
    expect(definition.eventClasses).toEqual([ItemAdded]);
    await definition.handlers.get('SubTestItemAdded')!(new ItemAdded('l', 'pear'), { globalPosition: 7 } as EventContext);
    expect(projector.seen).toEqual(['pear@7']);
    expect(isSubscriber(projector)).toBe(true);
  });

  it('reads the steps of a process manager class', () => {
    const definition = subscriptionDefinitionOf(NotesProcess);
    expect(definition.metadata).toEqual({ name: 'notes-process', kind: 'process-manager' });
    expect(definition.processManager?.type).toBe(NotesProcess);
    expect([...definition.processManager!.steps].map(([type, step]) => [type, step.kind, step.method])).toEqual([
      ['SubTestNoteWritten', 'start', 'started'],
      ['SubTestItemAdded', 'continue', 'continued'],
    ]);
    expect(definition.processManager!.steps.get('SubTestNoteWritten')!.processId(new NoteWritten('id-1'))).toBe('id-1');
    expect(definition.eventClasses).toEqual([NoteWritten, ItemAdded]);
    expect(isSubscriber(NotesProcess)).toBe(true);
  });

  it('refuses what cannot run, with a message naming the mistake', () => {
    class NotAnEvent {}
    @EventHandler({ name: 'bad-event' })
    class BadEvent {
      @On(NotAnEvent)
      handle(): void {}
    }
    @EventHandler({ name: 'empty' })
    class Empty {}
    @EventHandler({ name: '' })
    class Nameless {
      @On(ItemAdded)
      handle(): void {}
    }
    @ProcessManager({ name: 'never-starts' })
    class NeverStarts {
      @ContinuedBy(ItemAdded, (event) => event.listId)
      continued(): void {}
    }
    @DomainEvent('SubTestOther')
    class Other {}
    @EventHandler({ name: 'as-class' })
    class AsClass {
      @On(Other)
      handle(): void {}
    }

    const cases: Array<[object, string]> = [
      [new Undecorated(), 'Undecorated has no @EventHandler, @Projector or @ProcessManager decorator'],
      [new BadEvent(), '@On on BadEvent.handle names NotAnEvent, which has no @DomainEvent decorator'],
      [new Empty(), 'handler Empty has no @On(Event) or @OnBatch(...events) methods'],
      [new Nameless(), "Nameless needs a non-empty 'name'"],
      [NeverStarts, 'Process manager NeverStarts has no @StartedBy(Event, ...) method'],
      [AsClass, 'AsClass is a handler: pass its provider instance, not the class'],
    ];
    for (const [target, message] of cases) {
      expect(() => subscriptionDefinitionOf(target)).toThrow(ConfigurationError);
      expect(() => subscriptionDefinitionOf(target)).toThrow(message);
    }
    expect(isSubscriber(new Undecorated())).toBe(false);
  });
});
