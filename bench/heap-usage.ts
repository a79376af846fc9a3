import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

v8.setFlagsFromString('--expose-gc');
// A fresh context sees the flag set above; the main one only had it at startup.
const collect = runInNewContext('gc') as () => void;

/** Bytes of live JavaScript heap after full collections, so only reachable objects count. */
export function liveHeapBytes(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}
