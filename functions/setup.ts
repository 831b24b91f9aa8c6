// App-wide setup; imported first by index.ts so it runs before any function registers.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: false });
