import { hubspot } from '@hubspot/ui-extensions';
import { HomeView } from './components/HomeView';

// Thin entry: the app home page.
hubspot.extend<'home'>(() => <HomeView />);
