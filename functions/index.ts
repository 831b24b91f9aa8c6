// Entry point the Functions host loads (package.json "main"): app-wide setup, then every function file.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: false });
