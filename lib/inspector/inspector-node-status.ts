/** What the inspector shows of the process serving it (only this process can see it). */
export interface InspectorNodeStatus {
  node: string;
  /** This process's view of each subscription it knows: whether it runs it here. */
  subscriptions: { name: string; state: string; position: number; lastError?: { message: string } }[];
  aggregates: { live: number };
  cluster?: { address: string; members: { name: string; address: string }[] };
}
