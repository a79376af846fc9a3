import { EventSourcingInspectorModule, isInvalidOptions } from '../../lib/index.js';

describe('EventSourcingInspectorModule options', () => {
  it('refuses a malformed path or guard, naming what to fix', () => {
    for (const [options, message] of [
      [{ path: '_inspector' }, /inspector 'path' must be a URL path/],
      [{ path: '/a b' }, /inspector 'path' must be a URL path/],
      [{ path: '/ok/' }, /inspector 'path' must be a URL path/],
      [{ guard: 'admin' }, /inspector 'guard' must be a guard class or a function/],
      [{ actions: true }, /inspector 'actions' needs a 'guard'/],
      [{ guard: () => true, actions: 'yes' }, /inspector 'actions' must be true or false/],
    ] as const) {
      let error: unknown;
      try {
        EventSourcingInspectorModule.forRoot(options as never);
      } catch (thrown) {
        error = thrown;
      }
      expect(isInvalidOptions(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('serves at /_inspector unless told otherwise', () => {
    const paths = [EventSourcingInspectorModule.forRoot(), EventSourcingInspectorModule.forRoot({ path: '/ops/events' })].map(
      (module) => Reflect.getMetadata('path', module.controllers![0]) as string,
    );
    expect(paths).toEqual(['/_inspector', '/ops/events']);
  });
});
