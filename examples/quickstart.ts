// The smallest real use: one host tool, one piece of model-written code that calls it several times.
import { z } from 'zod';
import { Executor, defineTool } from 'codemode';

const getWeather = defineTool({
  name: 'getWeather',
  description: 'Current temperature in °C for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ city: z.string(), celsius: z.number() }),
  run: ({ city }) => ({ city, celsius: { Paris: 18, Oslo: 4, Lima: 22 }[city] ?? 15 }),
});

// What a model would send: one script instead of one tool call per city.
const code = `
const cities = ['Paris', 'Oslo', 'Lima'];
const readings = await Promise.all(cities.map((city) => codemode.getWeather({ city })));
console.log('fetched', readings.length, 'readings');
return readings.sort((a, b) => b.celsius - a.celsius)[0];
`;

const executor = new Executor({ tools: [getWeather] });
try {
  const result = await executor.run(code);
  for (const entry of result.logs) console.log(`[${entry.level}] ${entry.text}`);
  if (result.ok) {
    console.log('warmest:', result.value);
  } else {
    console.log(`failed (${result.error.kind}): ${result.error.message}`);
    process.exitCode = 1;
  }
} finally {
  await executor.close();
}
