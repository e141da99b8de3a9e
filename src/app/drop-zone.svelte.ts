/** The whole window as a drop target: whether files are being dragged over it, and the drop. */
export class DropZone {
  dragging = $state(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the window is left.
  #depth = 0;

  constructor(private readonly onDrop: (dataTransfer: DataTransfer) => void) {}

  enter = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this.#depth++;
    this.dragging = true;
  };

  over = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Without this the browser would not fire `drop` (and would navigate to the file).
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  leave = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.dragging = false;
  };

  drop = (event: DragEvent): void => {
    event.preventDefault();
    this.#depth = 0;
    this.dragging = false;
    if (event.dataTransfer) this.onDrop(event.dataTransfer);
  };
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}
