// Entry point the Functions host loads (package.json "main"): app-wide setup, then every function file.
// The registration test (test/functions/registration.test.ts) lists what each of these registers.
import './setup';
import './health';
import './connections';
import './oauth';
import './refreshConnections';
import './adminPage';
import './reconcileWorker';
import './workers';
import './preview';
import './guard';
import './events';
