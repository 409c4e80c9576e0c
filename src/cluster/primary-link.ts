import cluster from 'node:cluster';
import { IpcChannel, IpcEndpoint } from './ipc-endpoint';

/** Injection token: the worker's link to the cluster primary, or null when Footfall runs as one process. */
export const PRIMARY_LINK = Symbol('PRIMARY_LINK');

let link: IpcEndpoint | null | undefined;

/**
 * In a cluster worker, its channel to the primary; null in a single process. One per process:
 * replies are matched to requests by id, so two endpoints on one channel would steal each other's.
 */
export function primaryLink(): IpcEndpoint | null {
  if (link === undefined) {
    link = cluster.isWorker ? new IpcEndpoint(process as unknown as IpcChannel) : null;
    if (link) process.once('disconnect', () => link!.close());
  }
  return link;
}
