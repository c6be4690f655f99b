/** The glass design system: primitives both apps compose (tokens live in theme.css). */
export { cn } from './cn.js'
export { GlassPanel } from './components/glass-panel.js'
export { Button, type ButtonProps } from './components/button.js'
export { Spinner } from './components/spinner.js'
export { TextField, type TextFieldProps } from './components/field.js'
export { Notice } from './components/notice.js'
