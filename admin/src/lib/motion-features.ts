/** Motion's animation features, loaded after first paint (LazyMotion in app.tsx) so they stay out of the first load. */
import { domAnimation } from 'motion/react'
export default domAnimation
