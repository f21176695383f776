import 'reflect-metadata'
import { describeConformance } from '@cors/conformance'
import { makeClient, nestForms } from './conformance.ts'

// The shared table through a real Nest application, each way the READMEs mount the policy.
for (const form of nestForms) describeConformance(`NestJS (${form})`, makeClient(form))
