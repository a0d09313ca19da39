; ModuleID = 'sources.c'
source_filename = "sources.c"
target datalayout = "e-m:e-i8:8:32-i16:16:32-i64:64-i128:128-n32:64-S128-Fn32"
target triple = "aarch64-unknown-linux-gnu"

%struct.list = type { ptr, i64 }
%struct.point = type { i32, i32 }

@names = internal constant [5 x ptr] [ptr @.str.1, ptr @.str.2, ptr @.str.3, ptr @.str.4, ptr @.str.5], align 8
@.str = private unnamed_addr constant [5 x i8] c"many\00", align 1
@.str.1 = private unnamed_addr constant [5 x i8] c"zero\00", align 1
@.str.2 = private unnamed_addr constant [4 x i8] c"one\00", align 1
@.str.3 = private unnamed_addr constant [4 x i8] c"two\00", align 1
@.str.4 = private unnamed_addr constant [6 x i8] c"three\00", align 1
@.str.5 = private unnamed_addr constant [5 x i8] c"four\00", align 1

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @hash_string(ptr noundef %0) #0 {
  %2 = alloca ptr, align 8
  %3 = alloca i64, align 8
  store ptr %0, ptr %2, align 8, !tbaa !6
  call void @llvm.lifetime.start.p0(i64 8, ptr %3) #3
  store i64 0, ptr %3, align 8, !tbaa !10
  br label %4

4:                                                ; preds = %10, %1
  %5 = load ptr, ptr %2, align 8, !tbaa !6
  %6 = load i64, ptr %3, align 8, !tbaa !10
  %7 = getelementptr inbounds i8, ptr %5, i64 %6
  %8 = load i8, ptr %7, align 1, !tbaa !12
  %9 = icmp ne i8 %8, 0
  br i1 %9, label %10, label %13

10:                                               ; preds = %4
  %11 = load i64, ptr %3, align 8, !tbaa !10
  %12 = add i64 %11, 1
  store i64 %12, ptr %3, align 8, !tbaa !10
  br label %4, !llvm.loop !13

13:                                               ; preds = %4
  %14 = load ptr, ptr %2, align 8, !tbaa !6
  %15 = load i64, ptr %3, align 8, !tbaa !10
  %16 = call i32 @hash_bytes(ptr noundef %14, i64 noundef %15) #4
  call void @llvm.lifetime.end.p0(i64 8, ptr %3) #3
  ret i32 %16
}

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #1

; Function Attrs: minsize nounwind optsize uwtable
define internal i32 @hash_bytes(ptr noundef %0, i64 noundef %1) #0 {
  %3 = alloca ptr, align 8
  %4 = alloca i64, align 8
  %5 = alloca i32, align 4
  %6 = alloca i64, align 8
  store ptr %0, ptr %3, align 8, !tbaa !6
  store i64 %1, ptr %4, align 8, !tbaa !10
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #3
  store i32 -2128831035, ptr %5, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 8, ptr %6) #3
  store i64 0, ptr %6, align 8, !tbaa !10
  br label %7

7:                                                ; preds = %22, %2
  %8 = load i64, ptr %6, align 8, !tbaa !10
  %9 = load i64, ptr %4, align 8, !tbaa !10
  %10 = icmp ult i64 %8, %9
  br i1 %10, label %12, label %11

11:                                               ; preds = %7
  call void @llvm.lifetime.end.p0(i64 8, ptr %6) #3
  br label %25

12:                                               ; preds = %7
  %13 = load ptr, ptr %3, align 8, !tbaa !6
  %14 = load i64, ptr %6, align 8, !tbaa !10
  %15 = getelementptr inbounds i8, ptr %13, i64 %14
  %16 = load i8, ptr %15, align 1, !tbaa !12
  %17 = zext i8 %16 to i32
  %18 = load i32, ptr %5, align 4, !tbaa !15
  %19 = xor i32 %18, %17
  store i32 %19, ptr %5, align 4, !tbaa !15
  %20 = load i32, ptr %5, align 4, !tbaa !15
  %21 = mul i32 %20, 16777619
  store i32 %21, ptr %5, align 4, !tbaa !15
  br label %22

22:                                               ; preds = %12
  %23 = load i64, ptr %6, align 8, !tbaa !10
  %24 = add i64 %23, 1
  store i64 %24, ptr %6, align 8, !tbaa !10
  br label %7, !llvm.loop !17

25:                                               ; preds = %11
  %26 = load i32, ptr %5, align 4, !tbaa !15
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #3
  ret i32 %26
}

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #1

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i64 @list_sum(ptr noundef %0) #0 {
  %2 = alloca ptr, align 8
  %3 = alloca i64, align 8
  store ptr %0, ptr %2, align 8, !tbaa !6
  call void @llvm.lifetime.start.p0(i64 8, ptr %3) #3
  store i64 0, ptr %3, align 8, !tbaa !10
  br label %4

4:                                                ; preds = %13, %1
  %5 = load ptr, ptr %2, align 8, !tbaa !6
  %6 = icmp ne ptr %5, null
  br i1 %6, label %7, label %17

7:                                                ; preds = %4
  %8 = load ptr, ptr %2, align 8, !tbaa !6
  %9 = getelementptr inbounds %struct.list, ptr %8, i32 0, i32 1
  %10 = load i64, ptr %9, align 8, !tbaa !18
  %11 = load i64, ptr %3, align 8, !tbaa !10
  %12 = add nsw i64 %11, %10
  store i64 %12, ptr %3, align 8, !tbaa !10
  br label %13

13:                                               ; preds = %7
  %14 = load ptr, ptr %2, align 8, !tbaa !6
  %15 = getelementptr inbounds %struct.list, ptr %14, i32 0, i32 0
  %16 = load ptr, ptr %15, align 8, !tbaa !20
  store ptr %16, ptr %2, align 8, !tbaa !6
  br label %4, !llvm.loop !21

17:                                               ; preds = %4
  %18 = load i64, ptr %3, align 8, !tbaa !10
  call void @llvm.lifetime.end.p0(i64 8, ptr %3) #3
  ret i64 %18
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @manhattan(i64 %0, i64 %1) #0 {
  %3 = alloca %struct.point, align 4
  %4 = alloca %struct.point, align 4
  %5 = alloca i32, align 4
  %6 = alloca i32, align 4
  store i64 %0, ptr %3, align 4
  store i64 %1, ptr %4, align 4
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #3
  %7 = getelementptr inbounds %struct.point, ptr %3, i32 0, i32 0
  %8 = load i32, ptr %7, align 4, !tbaa !22
  %9 = getelementptr inbounds %struct.point, ptr %4, i32 0, i32 0
  %10 = load i32, ptr %9, align 4, !tbaa !22
  %11 = sub nsw i32 %8, %10
  store i32 %11, ptr %5, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %6) #3
  %12 = getelementptr inbounds %struct.point, ptr %3, i32 0, i32 1
  %13 = load i32, ptr %12, align 4, !tbaa !24
  %14 = getelementptr inbounds %struct.point, ptr %4, i32 0, i32 1
  %15 = load i32, ptr %14, align 4, !tbaa !24
  %16 = sub nsw i32 %13, %15
  store i32 %16, ptr %6, align 4, !tbaa !15
  %17 = load i32, ptr %5, align 4, !tbaa !15
  %18 = icmp slt i32 %17, 0
  br i1 %18, label %19, label %22

19:                                               ; preds = %2
  %20 = load i32, ptr %5, align 4, !tbaa !15
  %21 = sub nsw i32 0, %20
  br label %24

22:                                               ; preds = %2
  %23 = load i32, ptr %5, align 4, !tbaa !15
  br label %24

24:                                               ; preds = %22, %19
  %25 = phi i32 [ %21, %19 ], [ %23, %22 ]
  %26 = load i32, ptr %6, align 4, !tbaa !15
  %27 = icmp slt i32 %26, 0
  br i1 %27, label %28, label %31

28:                                               ; preds = %24
  %29 = load i32, ptr %6, align 4, !tbaa !15
  %30 = sub nsw i32 0, %29
  br label %33

31:                                               ; preds = %24
  %32 = load i32, ptr %6, align 4, !tbaa !15
  br label %33

33:                                               ; preds = %31, %28
  %34 = phi i32 [ %30, %28 ], [ %32, %31 ]
  %35 = add nsw i32 %25, %34
  call void @llvm.lifetime.end.p0(i64 4, ptr %6) #3
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #3
  ret i32 %35
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local double @dot(ptr noundef %0, ptr noundef %1, i32 noundef %2) #0 {
  %4 = alloca ptr, align 8
  %5 = alloca ptr, align 8
  %6 = alloca i32, align 4
  %7 = alloca double, align 8
  %8 = alloca i32, align 4
  store ptr %0, ptr %4, align 8, !tbaa !6
  store ptr %1, ptr %5, align 8, !tbaa !6
  store i32 %2, ptr %6, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 8, ptr %7) #3
  store double 0.000000e+00, ptr %7, align 8, !tbaa !25
  call void @llvm.lifetime.start.p0(i64 4, ptr %8) #3
  store i32 0, ptr %8, align 4, !tbaa !15
  br label %9

9:                                                ; preds = %27, %3
  %10 = load i32, ptr %8, align 4, !tbaa !15
  %11 = load i32, ptr %6, align 4, !tbaa !15
  %12 = icmp slt i32 %10, %11
  br i1 %12, label %14, label %13

13:                                               ; preds = %9
  call void @llvm.lifetime.end.p0(i64 4, ptr %8) #3
  br label %30

14:                                               ; preds = %9
  %15 = load ptr, ptr %4, align 8, !tbaa !6
  %16 = load i32, ptr %8, align 4, !tbaa !15
  %17 = sext i32 %16 to i64
  %18 = getelementptr inbounds double, ptr %15, i64 %17
  %19 = load double, ptr %18, align 8, !tbaa !25
  %20 = load ptr, ptr %5, align 8, !tbaa !6
  %21 = load i32, ptr %8, align 4, !tbaa !15
  %22 = sext i32 %21 to i64
  %23 = getelementptr inbounds double, ptr %20, i64 %22
  %24 = load double, ptr %23, align 8, !tbaa !25
  %25 = load double, ptr %7, align 8, !tbaa !25
  %26 = call double @llvm.fmuladd.f64(double %19, double %24, double %25)
  store double %26, ptr %7, align 8, !tbaa !25
  br label %27

27:                                               ; preds = %14
  %28 = load i32, ptr %8, align 4, !tbaa !15
  %29 = add nsw i32 %28, 1
  store i32 %29, ptr %8, align 4, !tbaa !15
  br label %9, !llvm.loop !27

30:                                               ; preds = %13
  %31 = load double, ptr %7, align 8, !tbaa !25
  call void @llvm.lifetime.end.p0(i64 8, ptr %7) #3
  ret double %31
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.fmuladd.f64(double, double, double) #2

; Function Attrs: minsize nounwind optsize uwtable
define dso_local void @insertion_sort(ptr noundef %0, i32 noundef %1) #0 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca i32, align 4
  %6 = alloca i32, align 4
  %7 = alloca i32, align 4
  store ptr %0, ptr %3, align 8, !tbaa !6
  store i32 %1, ptr %4, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #3
  store i32 1, ptr %5, align 4, !tbaa !15
  br label %8

8:                                                ; preds = %54, %2
  %9 = load i32, ptr %5, align 4, !tbaa !15
  %10 = load i32, ptr %4, align 4, !tbaa !15
  %11 = icmp slt i32 %9, %10
  br i1 %11, label %13, label %12

12:                                               ; preds = %8
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #3
  br label %57

13:                                               ; preds = %8
  call void @llvm.lifetime.start.p0(i64 4, ptr %6) #3
  %14 = load ptr, ptr %3, align 8, !tbaa !6
  %15 = load i32, ptr %5, align 4, !tbaa !15
  %16 = sext i32 %15 to i64
  %17 = getelementptr inbounds i32, ptr %14, i64 %16
  %18 = load i32, ptr %17, align 4, !tbaa !15
  store i32 %18, ptr %6, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %7) #3
  %19 = load i32, ptr %5, align 4, !tbaa !15
  %20 = sub nsw i32 %19, 1
  store i32 %20, ptr %7, align 4, !tbaa !15
  br label %21

21:                                               ; preds = %34, %13
  %22 = load i32, ptr %7, align 4, !tbaa !15
  %23 = icmp sge i32 %22, 0
  br i1 %23, label %24, label %32

24:                                               ; preds = %21
  %25 = load ptr, ptr %3, align 8, !tbaa !6
  %26 = load i32, ptr %7, align 4, !tbaa !15
  %27 = sext i32 %26 to i64
  %28 = getelementptr inbounds i32, ptr %25, i64 %27
  %29 = load i32, ptr %28, align 4, !tbaa !15
  %30 = load i32, ptr %6, align 4, !tbaa !15
  %31 = icmp sgt i32 %29, %30
  br label %32

32:                                               ; preds = %24, %21
  %33 = phi i1 [ false, %21 ], [ %31, %24 ]
  br i1 %33, label %34, label %47

34:                                               ; preds = %32
  %35 = load ptr, ptr %3, align 8, !tbaa !6
  %36 = load i32, ptr %7, align 4, !tbaa !15
  %37 = sext i32 %36 to i64
  %38 = getelementptr inbounds i32, ptr %35, i64 %37
  %39 = load i32, ptr %38, align 4, !tbaa !15
  %40 = load ptr, ptr %3, align 8, !tbaa !6
  %41 = load i32, ptr %7, align 4, !tbaa !15
  %42 = add nsw i32 %41, 1
  %43 = sext i32 %42 to i64
  %44 = getelementptr inbounds i32, ptr %40, i64 %43
  store i32 %39, ptr %44, align 4, !tbaa !15
  %45 = load i32, ptr %7, align 4, !tbaa !15
  %46 = add nsw i32 %45, -1
  store i32 %46, ptr %7, align 4, !tbaa !15
  br label %21, !llvm.loop !28

47:                                               ; preds = %32
  %48 = load i32, ptr %6, align 4, !tbaa !15
  %49 = load ptr, ptr %3, align 8, !tbaa !6
  %50 = load i32, ptr %7, align 4, !tbaa !15
  %51 = add nsw i32 %50, 1
  %52 = sext i32 %51 to i64
  %53 = getelementptr inbounds i32, ptr %49, i64 %52
  store i32 %48, ptr %53, align 4, !tbaa !15
  call void @llvm.lifetime.end.p0(i64 4, ptr %7) #3
  call void @llvm.lifetime.end.p0(i64 4, ptr %6) #3
  br label %54

54:                                               ; preds = %47
  %55 = load i32, ptr %5, align 4, !tbaa !15
  %56 = add nsw i32 %55, 1
  store i32 %56, ptr %5, align 4, !tbaa !15
  br label %8, !llvm.loop !29

57:                                               ; preds = %12
  ret void
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @binary_search(ptr noundef %0, i32 noundef %1, i32 noundef %2) #0 {
  %4 = alloca i32, align 4
  %5 = alloca ptr, align 8
  %6 = alloca i32, align 4
  %7 = alloca i32, align 4
  %8 = alloca i32, align 4
  %9 = alloca i32, align 4
  %10 = alloca i32, align 4
  %11 = alloca i32, align 4
  store ptr %0, ptr %5, align 8, !tbaa !6
  store i32 %1, ptr %6, align 4, !tbaa !15
  store i32 %2, ptr %7, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %8) #3
  store i32 0, ptr %8, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %9) #3
  %12 = load i32, ptr %6, align 4, !tbaa !15
  %13 = sub nsw i32 %12, 1
  store i32 %13, ptr %9, align 4, !tbaa !15
  br label %14

14:                                               ; preds = %51, %3
  %15 = load i32, ptr %8, align 4, !tbaa !15
  %16 = load i32, ptr %9, align 4, !tbaa !15
  %17 = icmp sle i32 %15, %16
  br i1 %17, label %18, label %52

18:                                               ; preds = %14
  call void @llvm.lifetime.start.p0(i64 4, ptr %10) #3
  %19 = load i32, ptr %8, align 4, !tbaa !15
  %20 = load i32, ptr %9, align 4, !tbaa !15
  %21 = load i32, ptr %8, align 4, !tbaa !15
  %22 = sub nsw i32 %20, %21
  %23 = sdiv i32 %22, 2
  %24 = add nsw i32 %19, %23
  store i32 %24, ptr %10, align 4, !tbaa !15
  %25 = load ptr, ptr %5, align 8, !tbaa !6
  %26 = load i32, ptr %10, align 4, !tbaa !15
  %27 = sext i32 %26 to i64
  %28 = getelementptr inbounds i32, ptr %25, i64 %27
  %29 = load i32, ptr %28, align 4, !tbaa !15
  %30 = load i32, ptr %7, align 4, !tbaa !15
  %31 = icmp eq i32 %29, %30
  br i1 %31, label %32, label %34

32:                                               ; preds = %18
  %33 = load i32, ptr %10, align 4, !tbaa !15
  store i32 %33, ptr %4, align 4
  store i32 1, ptr %11, align 4
  br label %49

34:                                               ; preds = %18
  %35 = load ptr, ptr %5, align 8, !tbaa !6
  %36 = load i32, ptr %10, align 4, !tbaa !15
  %37 = sext i32 %36 to i64
  %38 = getelementptr inbounds i32, ptr %35, i64 %37
  %39 = load i32, ptr %38, align 4, !tbaa !15
  %40 = load i32, ptr %7, align 4, !tbaa !15
  %41 = icmp slt i32 %39, %40
  br i1 %41, label %42, label %45

42:                                               ; preds = %34
  %43 = load i32, ptr %10, align 4, !tbaa !15
  %44 = add nsw i32 %43, 1
  store i32 %44, ptr %8, align 4, !tbaa !15
  br label %48

45:                                               ; preds = %34
  %46 = load i32, ptr %10, align 4, !tbaa !15
  %47 = sub nsw i32 %46, 1
  store i32 %47, ptr %9, align 4, !tbaa !15
  br label %48

48:                                               ; preds = %45, %42
  store i32 0, ptr %11, align 4
  br label %49

49:                                               ; preds = %48, %32
  call void @llvm.lifetime.end.p0(i64 4, ptr %10) #3
  %50 = load i32, ptr %11, align 4
  switch i32 %50, label %53 [
    i32 0, label %51
  ]

51:                                               ; preds = %49
  br label %14, !llvm.loop !30

52:                                               ; preds = %14
  store i32 -1, ptr %4, align 4
  store i32 1, ptr %11, align 4
  br label %53

53:                                               ; preds = %52, %49
  call void @llvm.lifetime.end.p0(i64 4, ptr %9) #3
  call void @llvm.lifetime.end.p0(i64 4, ptr %8) #3
  %54 = load i32, ptr %4, align 4
  ret i32 %54
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @popcount32(i32 noundef %0) #0 {
  %2 = alloca i32, align 4
  store i32 %0, ptr %2, align 4, !tbaa !15
  %3 = load i32, ptr %2, align 4, !tbaa !15
  %4 = load i32, ptr %2, align 4, !tbaa !15
  %5 = lshr i32 %4, 1
  %6 = and i32 %5, 1431655765
  %7 = sub i32 %3, %6
  store i32 %7, ptr %2, align 4, !tbaa !15
  %8 = load i32, ptr %2, align 4, !tbaa !15
  %9 = and i32 %8, 858993459
  %10 = load i32, ptr %2, align 4, !tbaa !15
  %11 = lshr i32 %10, 2
  %12 = and i32 %11, 858993459
  %13 = add i32 %9, %12
  store i32 %13, ptr %2, align 4, !tbaa !15
  %14 = load i32, ptr %2, align 4, !tbaa !15
  %15 = load i32, ptr %2, align 4, !tbaa !15
  %16 = lshr i32 %15, 4
  %17 = add i32 %14, %16
  %18 = and i32 %17, 252645135
  store i32 %18, ptr %2, align 4, !tbaa !15
  %19 = load i32, ptr %2, align 4, !tbaa !15
  %20 = mul i32 %19, 16843009
  %21 = lshr i32 %20, 24
  ret i32 %21
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local ptr @digit_name(i32 noundef %0) #0 {
  %2 = alloca ptr, align 8
  %3 = alloca i32, align 4
  store i32 %0, ptr %3, align 4, !tbaa !15
  %4 = load i32, ptr %3, align 4, !tbaa !15
  switch i32 %4, label %10 [
    i32 0, label %5
    i32 1, label %5
    i32 2, label %5
    i32 3, label %5
    i32 4, label %5
  ]

5:                                                ; preds = %1, %1, %1, %1, %1
  %6 = load i32, ptr %3, align 4, !tbaa !15
  %7 = sext i32 %6 to i64
  %8 = getelementptr inbounds [5 x ptr], ptr @names, i64 0, i64 %7
  %9 = load ptr, ptr %8, align 8, !tbaa !6
  store ptr %9, ptr %2, align 8
  br label %11

10:                                               ; preds = %1
  store ptr @.str, ptr %2, align 8
  br label %11

11:                                               ; preds = %10, %5
  %12 = load ptr, ptr %2, align 8
  ret ptr %12
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i64 @fib(i32 noundef %0) #0 {
  %2 = alloca i32, align 4
  store i32 %0, ptr %2, align 4, !tbaa !15
  %3 = load i32, ptr %2, align 4, !tbaa !15
  %4 = icmp slt i32 %3, 2
  br i1 %4, label %5, label %8

5:                                                ; preds = %1
  %6 = load i32, ptr %2, align 4, !tbaa !15
  %7 = sext i32 %6 to i64
  br label %16

8:                                                ; preds = %1
  %9 = load i32, ptr %2, align 4, !tbaa !15
  %10 = sub nsw i32 %9, 1
  %11 = call i64 @fib(i32 noundef %10) #4
  %12 = load i32, ptr %2, align 4, !tbaa !15
  %13 = sub nsw i32 %12, 2
  %14 = call i64 @fib(i32 noundef %13) #4
  %15 = add nsw i64 %11, %14
  br label %16

16:                                               ; preds = %8, %5
  %17 = phi i64 [ %7, %5 ], [ %15, %8 ]
  ret i64 %17
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @gcd(i32 noundef %0, i32 noundef %1) #0 {
  %3 = alloca i32, align 4
  %4 = alloca i32, align 4
  %5 = alloca i32, align 4
  store i32 %0, ptr %3, align 4, !tbaa !15
  store i32 %1, ptr %4, align 4, !tbaa !15
  br label %6

6:                                                ; preds = %9, %2
  %7 = load i32, ptr %4, align 4, !tbaa !15
  %8 = icmp ne i32 %7, 0
  br i1 %8, label %9, label %15

9:                                                ; preds = %6
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #3
  %10 = load i32, ptr %3, align 4, !tbaa !15
  %11 = load i32, ptr %4, align 4, !tbaa !15
  %12 = srem i32 %10, %11
  store i32 %12, ptr %5, align 4, !tbaa !15
  %13 = load i32, ptr %4, align 4, !tbaa !15
  store i32 %13, ptr %3, align 4, !tbaa !15
  %14 = load i32, ptr %5, align 4, !tbaa !15
  store i32 %14, ptr %4, align 4, !tbaa !15
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #3
  br label %6, !llvm.loop !31

15:                                               ; preds = %6
  %16 = load i32, ptr %3, align 4, !tbaa !15
  ret i32 %16
}

; Function Attrs: minsize nounwind optsize uwtable
define dso_local void @matmul4(ptr noundef %0, ptr noundef %1, ptr noundef %2) #0 {
  %4 = alloca ptr, align 8
  %5 = alloca ptr, align 8
  %6 = alloca ptr, align 8
  %7 = alloca i32, align 4
  %8 = alloca i32, align 4
  %9 = alloca i32, align 4
  %10 = alloca float, align 4
  %11 = alloca i32, align 4
  store ptr %0, ptr %4, align 8, !tbaa !6
  store ptr %1, ptr %5, align 8, !tbaa !6
  store ptr %2, ptr %6, align 8, !tbaa !6
  call void @llvm.lifetime.start.p0(i64 4, ptr %7) #3
  store i32 0, ptr %7, align 4, !tbaa !15
  br label %12

12:                                               ; preds = %61, %3
  %13 = load i32, ptr %7, align 4, !tbaa !15
  %14 = icmp slt i32 %13, 4
  br i1 %14, label %16, label %15

15:                                               ; preds = %12
  store i32 2, ptr %8, align 4
  call void @llvm.lifetime.end.p0(i64 4, ptr %7) #3
  br label %64

16:                                               ; preds = %12
  call void @llvm.lifetime.start.p0(i64 4, ptr %9) #3
  store i32 0, ptr %9, align 4, !tbaa !15
  br label %17

17:                                               ; preds = %57, %16
  %18 = load i32, ptr %9, align 4, !tbaa !15
  %19 = icmp slt i32 %18, 4
  br i1 %19, label %21, label %20

20:                                               ; preds = %17
  store i32 5, ptr %8, align 4
  call void @llvm.lifetime.end.p0(i64 4, ptr %9) #3
  br label %60

21:                                               ; preds = %17
  call void @llvm.lifetime.start.p0(i64 4, ptr %10) #3
  store float 0.000000e+00, ptr %10, align 4, !tbaa !32
  call void @llvm.lifetime.start.p0(i64 4, ptr %11) #3
  store i32 0, ptr %11, align 4, !tbaa !15
  br label %22

22:                                               ; preds = %45, %21
  %23 = load i32, ptr %11, align 4, !tbaa !15
  %24 = icmp slt i32 %23, 4
  br i1 %24, label %26, label %25

25:                                               ; preds = %22
  store i32 8, ptr %8, align 4
  call void @llvm.lifetime.end.p0(i64 4, ptr %11) #3
  br label %48

26:                                               ; preds = %22
  %27 = load ptr, ptr %4, align 8, !tbaa !6
  %28 = load i32, ptr %7, align 4, !tbaa !15
  %29 = sext i32 %28 to i64
  %30 = getelementptr inbounds [4 x float], ptr %27, i64 %29
  %31 = load i32, ptr %11, align 4, !tbaa !15
  %32 = sext i32 %31 to i64
  %33 = getelementptr inbounds [4 x float], ptr %30, i64 0, i64 %32
  %34 = load float, ptr %33, align 4, !tbaa !32
  %35 = load ptr, ptr %5, align 8, !tbaa !6
  %36 = load i32, ptr %11, align 4, !tbaa !15
  %37 = sext i32 %36 to i64
  %38 = getelementptr inbounds [4 x float], ptr %35, i64 %37
  %39 = load i32, ptr %9, align 4, !tbaa !15
  %40 = sext i32 %39 to i64
  %41 = getelementptr inbounds [4 x float], ptr %38, i64 0, i64 %40
  %42 = load float, ptr %41, align 4, !tbaa !32
  %43 = load float, ptr %10, align 4, !tbaa !32
  %44 = call float @llvm.fmuladd.f32(float %34, float %42, float %43)
  store float %44, ptr %10, align 4, !tbaa !32
  br label %45

45:                                               ; preds = %26
  %46 = load i32, ptr %11, align 4, !tbaa !15
  %47 = add nsw i32 %46, 1
  store i32 %47, ptr %11, align 4, !tbaa !15
  br label %22, !llvm.loop !34

48:                                               ; preds = %25
  %49 = load float, ptr %10, align 4, !tbaa !32
  %50 = load ptr, ptr %6, align 8, !tbaa !6
  %51 = load i32, ptr %7, align 4, !tbaa !15
  %52 = sext i32 %51 to i64
  %53 = getelementptr inbounds [4 x float], ptr %50, i64 %52
  %54 = load i32, ptr %9, align 4, !tbaa !15
  %55 = sext i32 %54 to i64
  %56 = getelementptr inbounds [4 x float], ptr %53, i64 0, i64 %55
  store float %49, ptr %56, align 4, !tbaa !32
  call void @llvm.lifetime.end.p0(i64 4, ptr %10) #3
  br label %57

57:                                               ; preds = %48
  %58 = load i32, ptr %9, align 4, !tbaa !15
  %59 = add nsw i32 %58, 1
  store i32 %59, ptr %9, align 4, !tbaa !15
  br label %17, !llvm.loop !35

60:                                               ; preds = %20
  br label %61

61:                                               ; preds = %60
  %62 = load i32, ptr %7, align 4, !tbaa !15
  %63 = add nsw i32 %62, 1
  store i32 %63, ptr %7, align 4, !tbaa !15
  br label %12, !llvm.loop !36

64:                                               ; preds = %15
  ret void
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare float @llvm.fmuladd.f32(float, float, float) #2

; Function Attrs: minsize nounwind optsize uwtable
define dso_local i32 @count_words(ptr noundef %0) #0 {
  %2 = alloca ptr, align 8
  %3 = alloca i32, align 4
  %4 = alloca i32, align 4
  store ptr %0, ptr %2, align 8, !tbaa !6
  call void @llvm.lifetime.start.p0(i64 4, ptr %3) #3
  store i32 0, ptr %3, align 4, !tbaa !15
  call void @llvm.lifetime.start.p0(i64 4, ptr %4) #3
  store i32 0, ptr %4, align 4, !tbaa !15
  br label %5

5:                                                ; preds = %33, %1
  %6 = load ptr, ptr %2, align 8, !tbaa !6
  %7 = load i8, ptr %6, align 1, !tbaa !12
  %8 = icmp ne i8 %7, 0
  br i1 %8, label %9, label %36

9:                                                ; preds = %5
  %10 = load ptr, ptr %2, align 8, !tbaa !6
  %11 = load i8, ptr %10, align 1, !tbaa !12
  %12 = zext i8 %11 to i32
  %13 = icmp eq i32 %12, 32
  br i1 %13, label %24, label %14

14:                                               ; preds = %9
  %15 = load ptr, ptr %2, align 8, !tbaa !6
  %16 = load i8, ptr %15, align 1, !tbaa !12
  %17 = zext i8 %16 to i32
  %18 = icmp eq i32 %17, 9
  br i1 %18, label %24, label %19

19:                                               ; preds = %14
  %20 = load ptr, ptr %2, align 8, !tbaa !6
  %21 = load i8, ptr %20, align 1, !tbaa !12
  %22 = zext i8 %21 to i32
  %23 = icmp eq i32 %22, 10
  br i1 %23, label %24, label %25

24:                                               ; preds = %19, %14, %9
  store i32 0, ptr %4, align 4, !tbaa !15
  br label %32

25:                                               ; preds = %19
  %26 = load i32, ptr %4, align 4, !tbaa !15
  %27 = icmp ne i32 %26, 0
  br i1 %27, label %31, label %28

28:                                               ; preds = %25
  store i32 1, ptr %4, align 4, !tbaa !15
  %29 = load i32, ptr %3, align 4, !tbaa !15
  %30 = add nsw i32 %29, 1
  store i32 %30, ptr %3, align 4, !tbaa !15
  br label %31

31:                                               ; preds = %28, %25
  br label %32

32:                                               ; preds = %31, %24
  br label %33

33:                                               ; preds = %32
  %34 = load ptr, ptr %2, align 8, !tbaa !6
  %35 = getelementptr inbounds i8, ptr %34, i32 1
  store ptr %35, ptr %2, align 8, !tbaa !6
  br label %5, !llvm.loop !37

36:                                               ; preds = %5
  %37 = load i32, ptr %3, align 4, !tbaa !15
  call void @llvm.lifetime.end.p0(i64 4, ptr %4) #3
  call void @llvm.lifetime.end.p0(i64 4, ptr %3) #3
  ret i32 %37
}

attributes #0 = { minsize nounwind optsize uwtable "frame-pointer"="non-leaf" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="generic" "target-features"="+fp-armv8,+neon,+outline-atomics,+v8a,-fmv" }
attributes #1 = { nocallback nofree nosync nounwind willreturn memory(argmem: readwrite) }
attributes #2 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #3 = { nounwind }
attributes #4 = { minsize optsize }

!llvm.module.flags = !{!0, !1, !2, !3, !4}
!llvm.ident = !{!5}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{i32 7, !"frame-pointer", i32 1}
!5 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!6 = !{!7, !7, i64 0}
!7 = !{!"any pointer", !8, i64 0}
!8 = !{!"omnipotent char", !9, i64 0}
!9 = !{!"Simple C/C++ TBAA"}
!10 = !{!11, !11, i64 0}
!11 = !{!"long", !8, i64 0}
!12 = !{!8, !8, i64 0}
!13 = distinct !{!13, !14}
!14 = !{!"llvm.loop.mustprogress"}
!15 = !{!16, !16, i64 0}
!16 = !{!"int", !8, i64 0}
!17 = distinct !{!17, !14}
!18 = !{!19, !11, i64 8}
!19 = !{!"list", !7, i64 0, !11, i64 8}
!20 = !{!19, !7, i64 0}
!21 = distinct !{!21, !14}
!22 = !{!23, !16, i64 0}
!23 = !{!"point", !16, i64 0, !16, i64 4}
!24 = !{!23, !16, i64 4}
!25 = !{!26, !26, i64 0}
!26 = !{!"double", !8, i64 0}
!27 = distinct !{!27, !14}
!28 = distinct !{!28, !14}
!29 = distinct !{!29, !14}
!30 = distinct !{!30, !14}
!31 = distinct !{!31, !14}
!32 = !{!33, !33, i64 0}
!33 = !{!"float", !8, i64 0}
!34 = distinct !{!34, !14}
!35 = distinct !{!35, !14}
!36 = distinct !{!36, !14}
!37 = distinct !{!37, !14}
