"""The pathway worker's Kafka consumers: intake's and partners' topics of this centre,
the region's transfer topic, and the pathway's own topic (region messages to send,
read-model repair). Each is a `ConsumerLoop` with its own group per centre."""
