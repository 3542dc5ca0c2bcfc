!----------------------------------------------------------------------
! abc: the A -> B -> C reaction (AUTO-07p's demo abc), continued in D = PAR(1),
! with alpha = PAR(2) = 1, beta = PAR(3) = 1.55, B = PAR(4) = 10 (the demo
! has 8, which has no folds), s = PAR(5) = 0.04:
!   x1' = -x1 + D (1 - x1) exp(x3)
!   x2' = -x2 + D exp(x3) (1 - x1 - s x2)
!   x3' = -x3 - beta x3 + D B exp(x3) (1 - x1 + alpha s x2)
! The same equations as the functor ABC of tests/test_cont_hopf.cpp.
!----------------------------------------------------------------------
SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  DOUBLE PRECISION E, X1C
  E = EXP(U(3))
  X1C = 1 - U(1)
  F(1) = -U(1) + PAR(1)*X1C*E
  F(2) = -U(2) + PAR(1)*E*(X1C - PAR(5)*U(2))
  F(3) = -U(3) - PAR(3)*U(3) + PAR(1)*PAR(4)*E*(X1C + PAR(2)*PAR(5)*U(2))
END SUBROUTINE FUNC

SUBROUTINE STPNT(NDIM,U,PAR,T)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM
  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(IN) :: T
  PAR(1) = 0; PAR(2) = 1; PAR(3) = 1.55; PAR(4) = 10; PAR(5) = 0.04
  U(1) = 0; U(2) = 0; U(3) = 0
END SUBROUTINE STPNT

SUBROUTINE BCND
END SUBROUTINE BCND
SUBROUTINE ICND
END SUBROUTINE ICND
SUBROUTINE FOPT
END SUBROUTINE FOPT
SUBROUTINE PVLS
END SUBROUTINE PVLS
