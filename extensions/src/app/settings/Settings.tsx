import { hubspot } from '@hubspot/ui-extensions';
import { SettingsView } from './components/SettingsView';

// Thin entry: the app's settings page.
hubspot.extend<'settings'>(() => <SettingsView />);
