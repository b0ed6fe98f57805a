import { InitialSchema1768903200000 } from './1768903200000-InitialSchema';
import { ApiSupport1768906800000 } from './1768906800000-ApiSupport';
import { JobEvents1768910400000 } from './1768910400000-JobEvents';
import { JobEventsWakeAfterCommit1768910460000 } from './1768910460000-JobEventsWakeAfterCommit';
import { Webhooks1768914000000 } from './1768914000000-Webhooks';
import { Search1768917600000 } from './1768917600000-Search';
import { Dashboard1768921200000 } from './1768921200000-Dashboard';

/** Every migration, in order. A new one (npm run migration:generate) must be added here. */
export const MIGRATIONS = [
  InitialSchema1768903200000,
  ApiSupport1768906800000,
  JobEvents1768910400000,
  JobEventsWakeAfterCommit1768910460000,
  Webhooks1768914000000,
  Search1768917600000,
  Dashboard1768921200000,
];
