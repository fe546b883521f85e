/// <reference path="./undici-lib.d.ts" />
// undici's connection pools, without the rest of undici.
//
// The package's index loads all of it (fetch, WebSocket, caches, mocks): 27
// MB of a process's memory, measured here, against 14 MB for the three
// classes a download uses. A pool member loads them too, inside its start-up:
// a thread that requires the index is ready after 115-170 ms, against 45-90
// ms for one that loads nothing, and about 30 ms more for these alone.
import AgentClass from 'undici/lib/dispatcher/agent.js';
import ClientClass from 'undici/lib/dispatcher/client.js';
import PoolClass from 'undici/lib/dispatcher/pool.js';

export const Agent = AgentClass;
export const Client = ClientClass;
export const Pool = PoolClass;
