/* SPDX-License-Identifier: MIT
 *
 * The default model, linked into the program as read-only bytes.
 */
    .section .rodata
    .balign 16
    .globl dnshunt_model_start
    .globl dnshunt_model_end
dnshunt_model_start:
    .incbin DNSHUNT_MODEL_FILE
dnshunt_model_end:
    .section .note.GNU-stack,"",@progbits
