// The far end of the raw IPC floor: answers every message with the same message.
process.on('message', (message) => process.send!(message));
process.send!('ready');
process.on('disconnect', () => process.exit(0));
