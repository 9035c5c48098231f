// RUN: nn-opt %s --nn-keep-functions=names=predict,train_step | FileCheck %s
// RUN: nn-opt %s --nn-keep-functions | FileCheck %s --check-prefix=ALL

// Public functions not listed go; private ones stay.
// CHECK-NOT: @loss
// CHECK: func.func @predict
// CHECK: func.func private @nest
// CHECK: func.func @train_step
// CHECK-NOT: @loss
// ALL: @loss
// ALL: @predict
// ALL: @nest
// ALL: @train_step
func.func @loss() { return }
func.func @predict() { return }
func.func private @nest()
func.func @train_step() { return }
