/**
 * The ceiling the relay is compared to: a bare ioredis subscriber that only counts messages, in its own process as
 * the relay is. Prints its running count every 100 ms.
 */
import { Redis } from 'ioredis';

const [url, channel] = process.argv.slice(2) as [string, string];
const sub = new Redis(url);
let count = 0;
sub.on('message', () => {
  count++;
});
await sub.subscribe(channel);
process.stdout.write('ready\n');
setInterval(() => process.stdout.write(`${count}\n`), 100);
