// What the renderers may ask of the element when a person acts: each is a
// method of the view controller or an attribute or event of the element.
import type { ShardGroupSummary } from '../cluster.js';

export interface ViewActions {
  /** Pause or resume the refreshes. */
  togglePause(): void;
  /** A new interval in seconds (the `refresh` attribute). */
  setRefresh(seconds: string): void;
  /** A new window of the counts (the `window` attribute). */
  setWindow(window: string): void;
  /** Read now. */
  refresh(): void;
  /** Sort by a column's key. */
  sortBy(key: string): void;
  /** Show or hide a row's details. */
  toggleRow(name: string): void;
  /** A shard group of the chooser was clicked; returns false when the embedder cancelled the event. */
  select(group: ShardGroupSummary): boolean;
}
