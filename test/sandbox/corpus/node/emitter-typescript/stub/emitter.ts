type Listener = (payload: unknown) => void;

export class Emitter {
  on(_event: string, _fn: Listener): void {
    throw new Error('not implemented');
  }
  off(_event: string, _fn: Listener): void {
    throw new Error('not implemented');
  }
  once(_event: string, _fn: Listener): void {
    throw new Error('not implemented');
  }
  emit(_event: string, _payload: unknown): boolean {
    throw new Error('not implemented');
  }
}
