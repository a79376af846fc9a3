/** The message published on `PubSubChannels.ack` each time a subscription's checkpoint moves. */
export interface SubscriptionAck {
  name: string;
  /** The global position now acknowledged. */
  position: number;
}
