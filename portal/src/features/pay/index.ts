// The screens after the plan list, in one chunk loaded after first paint (the plan screen's budget is tight).
export { PhoneStep } from './phone-step.js'
export { PayingStep } from './paying-step.js'
export { FailedStep } from './failed-step.js'
export { ConnectingStep } from '../online/connecting-step.js'
export { OnlineStep } from '../online/online-step.js'
