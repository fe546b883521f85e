// undici's Agent on its own (see site-member.ts): the module's export is the
// Agent class that the package's index re-exports, with the same types.
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const AgentClass: typeof Agent;
  export default AgentClass;
}
