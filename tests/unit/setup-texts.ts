// Loads the English texts before each test file, as the app does before it mounts.
import { setLocale } from '../../src/ui/state/i18n.svelte.ts';

await setLocale('en');
