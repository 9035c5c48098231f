module @m attributes {nn.train = #nn.train<dataset = "mnist", batch = 0, lr = 0.1 : f64>} {
}
