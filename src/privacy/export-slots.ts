/** Exports running at once: each holds a connection of the query pool for as long as its reader reads. */
export class ExportSlots {
  private running = 0;

  constructor(private readonly limit: number) {}

  /** The release function of a free slot, or null when every slot is taken. */
  tryTake(): (() => void) | null {
    if (this.running >= this.limit) return null;
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }
}
