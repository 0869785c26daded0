// A project whose workflows are defined in code and registered here, so `baton resume` can continue their runs.
import { researchWorkflow, reviewWorkflow } from './workflows.mjs';

export default { workflows: [researchWorkflow, reviewWorkflow] };
