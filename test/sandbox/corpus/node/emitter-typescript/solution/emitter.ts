type Listener = (payload: unknown) => void;

export class Emitter {
  private listeners = new Map<string, Listener[]>();

  on(event: string, fn: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
  }

  off(event: string, fn: Listener): void {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== fn));
  }

  once(event: string, fn: Listener): void {
    const wrapper: Listener = (p) => {
      this.off(event, wrapper);
      fn(p);
    };
    this.on(event, wrapper);
  }

  emit(event: string, payload: unknown): boolean {
    const ls = this.listeners.get(event) ?? [];
    for (const l of [...ls]) l(payload);
    return ls.length > 0;
  }
}
