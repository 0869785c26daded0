// A 50-step builder chain: its type-check time is what the builder costs a real project.
// Each step needs the one before it (and every fifth also the one five back, so several-need
// inputs are typed too). Generated; measured with
// `tsc --noEmit --extendedDiagnostics -p tsconfig.chain.json` (see docs/typed-workflows.md).
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { workflow } from './builder.js';

export const chain = workflow({ name: 'chain', version: '1', input: z.object({ seed: z.number() }) })
  .step('s0', (input) => ({ n0: input.seed }))
  .step('s1', { needs: ['s0'], run: (input, ctx) => ({ n1: input.n0 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s2', { needs: ['s1'], run: (input, ctx) => ({ n2: input.n1 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s3', { needs: ['s2'], run: (input, ctx) => ({ n3: input.n2 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s4', { needs: ['s3'], run: (input, ctx) => ({ n4: input.n3 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s5', { needs: ['s4', 's0'], run: (input) => ({ n5: input.s4.n4 + input.s0.n0 }) })
  .step('s6', { needs: ['s5'], run: (input, ctx) => ({ n6: input.n5 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s7', { needs: ['s6'], run: (input, ctx) => ({ n7: input.n6 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s8', { needs: ['s7'], run: (input, ctx) => ({ n8: input.n7 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s9', { needs: ['s8'], run: (input, ctx) => ({ n9: input.n8 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s10', { needs: ['s9', 's5'], run: (input) => ({ n10: input.s9.n9 + input.s5.n5 }) })
  .step('s11', { needs: ['s10'], run: (input, ctx) => ({ n11: input.n10 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s12', { needs: ['s11'], run: (input, ctx) => ({ n12: input.n11 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s13', { needs: ['s12'], run: (input, ctx) => ({ n13: input.n12 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s14', { needs: ['s13'], run: (input, ctx) => ({ n14: input.n13 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s15', { needs: ['s14', 's10'], run: (input) => ({ n15: input.s14.n14 + input.s10.n10 }) })
  .step('s16', { needs: ['s15'], run: (input, ctx) => ({ n16: input.n15 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s17', { needs: ['s16'], run: (input, ctx) => ({ n17: input.n16 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s18', { needs: ['s17'], run: (input, ctx) => ({ n18: input.n17 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s19', { needs: ['s18'], run: (input, ctx) => ({ n19: input.n18 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s20', { needs: ['s19', 's15'], run: (input) => ({ n20: input.s19.n19 + input.s15.n15 }) })
  .step('s21', { needs: ['s20'], run: (input, ctx) => ({ n21: input.n20 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s22', { needs: ['s21'], run: (input, ctx) => ({ n22: input.n21 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s23', { needs: ['s22'], run: (input, ctx) => ({ n23: input.n22 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s24', { needs: ['s23'], run: (input, ctx) => ({ n24: input.n23 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s25', { needs: ['s24', 's20'], run: (input) => ({ n25: input.s24.n24 + input.s20.n20 }) })
  .step('s26', { needs: ['s25'], run: (input, ctx) => ({ n26: input.n25 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s27', { needs: ['s26'], run: (input, ctx) => ({ n27: input.n26 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s28', { needs: ['s27'], run: (input, ctx) => ({ n28: input.n27 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s29', { needs: ['s28'], run: (input, ctx) => ({ n29: input.n28 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s30', { needs: ['s29', 's25'], run: (input) => ({ n30: input.s29.n29 + input.s25.n25 }) })
  .step('s31', { needs: ['s30'], run: (input, ctx) => ({ n31: input.n30 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s32', { needs: ['s31'], run: (input, ctx) => ({ n32: input.n31 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s33', { needs: ['s32'], run: (input, ctx) => ({ n33: input.n32 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s34', { needs: ['s33'], run: (input, ctx) => ({ n34: input.n33 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s35', { needs: ['s34', 's30'], run: (input) => ({ n35: input.s34.n34 + input.s30.n30 }) })
  .step('s36', { needs: ['s35'], run: (input, ctx) => ({ n36: input.n35 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s37', { needs: ['s36'], run: (input, ctx) => ({ n37: input.n36 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s38', { needs: ['s37'], run: (input, ctx) => ({ n38: input.n37 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s39', { needs: ['s38'], run: (input, ctx) => ({ n39: input.n38 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s40', { needs: ['s39', 's35'], run: (input) => ({ n40: input.s39.n39 + input.s35.n35 }) })
  .step('s41', { needs: ['s40'], run: (input, ctx) => ({ n41: input.n40 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s42', { needs: ['s41'], run: (input, ctx) => ({ n42: input.n41 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s43', { needs: ['s42'], run: (input, ctx) => ({ n43: input.n42 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s44', { needs: ['s43'], run: (input, ctx) => ({ n44: input.n43 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s45', { needs: ['s44', 's40'], run: (input) => ({ n45: input.s44.n44 + input.s40.n40 }) })
  .step('s46', { needs: ['s45'], run: (input, ctx) => ({ n46: input.n45 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s47', { needs: ['s46'], run: (input, ctx) => ({ n47: input.n46 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s48', { needs: ['s47'], run: (input, ctx) => ({ n48: input.n47 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .step('s49', { needs: ['s48'], run: (input, ctx) => ({ n49: input.n48 + (ctx.outputs.s0?.n0 ?? 0) }) })
  .build();

expectTypeOf<NonNullable<typeof chain.__outputs>['s49']>().toEqualTypeOf<{ n49: number }>();
expectTypeOf<NonNullable<typeof chain.__outputs>['s45']>().toEqualTypeOf<{ n45: number }>();
