/** The client's entry point: the theme, then the root element. */
import './ui/theme.css';
import './app/tandem-app.ts';
